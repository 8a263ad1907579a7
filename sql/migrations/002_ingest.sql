-- Ingestion bookkeeping (issue 3).
-- A held session (refused only because its charge point is not registered yet, code 209) keeps its validated
-- form beside its raw JSON, so that `pipeline ingest --retry` loads it without re-parsing the source format.
alter table rejections add column session_json varchar;

-- Every file `importInbox` has handled, by content hash: a file is imported once whatever its name or kind
-- (registry, carbon, sessions, landing), including files that ended in a file error.
create table inbox_files (
    sha256 varchar primary key,
    path varchar not null,
    kind varchar not null,
    outcome varchar not null,             -- loaded | file-error | unknown-format | failed
    imported_at timestamptz not null
);
