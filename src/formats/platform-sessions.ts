/** The platform-session parsers, in one import for src/ingest (OCPI CDRs/Sessions, IRVE dynamic sessions). */
import './format-codes.js';

export { parseOcpiCdrs, parseOcpiCdrText } from './ocpi-cdr.js';
export { parseIrveSessions } from './irve-sessions.js';
export { FORMAT_CODE, FORMAT_CODES } from './format-codes.js';
export type { AdvenirOperation, AdvenirPoint, PlatformParseResult, PlatformRecord, SessionRejection } from './platform-record.js';
