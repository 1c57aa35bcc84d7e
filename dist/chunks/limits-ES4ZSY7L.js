const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-FZTDJVQI.js";import"./chunk-3OZFEAWN.js";import"./chunk-JAV2XWSF.js";export{b as MAX_CARD_WIDGETS,a as MAX_MESSAGE_BYTES,c as TRUNCATION_MARKER,d as fitToChatLimits};
