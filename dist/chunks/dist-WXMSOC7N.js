import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a}from"./chunk-5YBELPUI.js";import"./chunk-YC6VNAKC.js";export default a();
