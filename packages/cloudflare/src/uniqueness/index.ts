export { UniqueValueClaims, type ClaimOwner, type ClaimRequest } from './unique-value-claims-object.js';
export { UniqueValueLedger, type ClaimChange, type UniquenessOptions } from './unique-value-ledger.js';
export { uniqueValueOwner, type UniqueValueLookup } from './unique-value-owner.js';
