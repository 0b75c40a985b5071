export { type ClaimOwner, type ClaimRequest, UniqueValueClaims } from './unique-value-claims-object.js';
export { type ClaimChange, type UniquenessOptions, UniqueValueLedger } from './unique-value-ledger.js';
export { type UniqueValueLookup, uniqueValueOwner } from './unique-value-owner.js';
