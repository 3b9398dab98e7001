#!/usr/bin/env bash
# Runs the pgTAP suite in supabase/tests against a database:
#   local/run-pgtap.sh [postgresql://postgres:postgres@127.0.0.1:54322/postgres]
# Creates pgtap (schema extensions) if missing and the tests helper schema, then
# runs every *.sql file with pg_prove; exits non-zero on any failure.
set -euo pipefail

database_url="${1:-postgresql://postgres:postgres@127.0.0.1:54322/postgres}"
tests_dir="$(cd "$(dirname "$0")/../supabase/tests" && pwd)"

psql "$database_url" -q -v ON_ERROR_STOP=1 -c 'create extension if not exists pgtap with schema extensions'
export PGOPTIONS='-c search_path=public,extensions -c client_min_messages=warning'
psql "$database_url" -q -v ON_ERROR_STOP=1 -o /dev/null -f "$tests_dir/000-setup-test-helpers.sql"
# From the repository root: tests read shared fixtures by relative path (the grammar corpus).
cd "$tests_dir/../.."
exec pg_prove --dbname "$database_url" --ext .sql -r "$tests_dir"
