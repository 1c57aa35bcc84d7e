const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-4ROTS5YU.js";import"./chunk-D7MMV6AO.js";import"./chunk-2TBH3LT2.js";export{b as MAX_CARD_WIDGETS,a as MAX_MESSAGE_BYTES,c as TRUNCATION_MARKER,d as fitToChatLimits};
