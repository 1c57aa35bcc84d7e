const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-V5ATR3VB.js";import"./chunk-LMR4I4W3.js";import"./chunk-2TBH3LT2.js";export{b as MAX_CARD_WIDGETS,a as MAX_MESSAGE_BYTES,c as TRUNCATION_MARKER,d as fitToChatLimits};
