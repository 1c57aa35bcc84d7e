const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
var t=class extends Error{input;constructor(r,s){super(`Input '${r}' ${s}`),this.name="InputError",this.input=r}},n=class extends Error{constructor(r,s){super(r,s),this.name="DeliveryError"}};export{t as a,n as b};
