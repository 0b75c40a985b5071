export { Account, type AccountState } from './account.js';
export * from './account-events.js';
export { Transfer, TransferCompleted, TransferFailed, TransferRequested, type TransferState } from './transfer.js';
