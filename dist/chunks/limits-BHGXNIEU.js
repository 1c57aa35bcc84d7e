const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-43YQSMN5.js";import"./chunk-HVGKQSIX.js";import"./chunk-YQGYO64K.js";export{b as MAX_CARD_WIDGETS,a as MAX_MESSAGE_BYTES,c as TRUNCATION_MARKER,d as fitToChatLimits};
