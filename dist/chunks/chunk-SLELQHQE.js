const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
var n={"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"};function s(t){return t.replace(/[&<>"']/g,r=>n[r])}var e="\u200B";function g(t){return t.replace(/[<*_~`]/g,r=>r+e)}export{s as a,g as b};
