const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-3DURHJTS.js";import"./chunk-YQGYO64K.js";export{c as MAX_CARD_WIDGETS,b as MAX_MESSAGE_BYTES,a as MAX_TEXT_CHARS,d as TRUNCATION_MARKER,h as fitToChatLimits,g as messageBytes,f as truncateHtml,e as truncateText};
