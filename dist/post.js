const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{c as o}from"./chunks/chunk-KQYWGGWL.js";import{j as t}from"./chunks/chunk-JAV2XWSF.js";t();var a=o(process.env);if(a){let{runPost:r}=await import("./chunks/main-I6CD6SCX.js");await r(a)}
