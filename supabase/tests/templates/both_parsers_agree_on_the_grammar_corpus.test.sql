-- The database's reading of a template (notify_internal.template_includes) runs
-- the same corpus as the engine's (shared/templates/grammar_cases_test.ts), so
-- the two parsers cannot drift apart silently. local/run-pgtap.sh runs pg_prove
-- from the repository root, where psql reads the corpus.
\set corpus `cat shared/templates/grammar_cases.json`
begin;
select plan((select jsonb_array_length(:'corpus'::jsonb -> 'cases')));

create function pg_temp.read_template(p_source text) returns jsonb
language plpgsql
as $$
declare
  v_parts text[];
begin
  return jsonb_build_object('includes', coalesce((
    select jsonb_agg(case when i.ref_key is not null then jsonb_build_object('key', i.ref_key)
                          else jsonb_build_object('id', i.ref_id) end order by i.tag_start)
      from notify_internal.template_includes(p_source) i), '[]'::jsonb));
exception when invalid_text_representation then
  v_parts := regexp_match(sqlerrm, '^malformed \w+ at offset (\d+) \(line \d+, column \d+\): (.*)$');
  return jsonb_build_object('error', jsonb_build_object('offset', v_parts[1]::integer, 'detail', v_parts[2]));
end
$$;

select is(pg_temp.read_template(c ->> 'source'), c - 'name' - 'source', 'grammar corpus: ' || (c ->> 'name'))
  from jsonb_array_elements(:'corpus'::jsonb -> 'cases') as c;

select * from finish();
rollback;
