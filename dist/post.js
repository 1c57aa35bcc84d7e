const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{c as o}from"./chunks/chunk-R4SUKAMW.js";import{o as t}from"./chunks/chunk-2TBH3LT2.js";t();var a=o(process.env);if(a){let{runPost:r}=await import("./chunks/main-X4J3R4XG.js");await r(a)}
