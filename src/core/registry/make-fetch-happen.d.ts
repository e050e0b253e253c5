/** The part of make-fetch-happen's API the registry chunk calls (the package ships no types). */
declare module 'make-fetch-happen' {
  function fetch(url: string, options?: Record<string, unknown>): Promise<unknown>;
  export default fetch;
}
