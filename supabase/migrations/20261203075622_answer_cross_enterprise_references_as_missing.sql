-- Enumeration (issue 7, finding 10): a reference to another enterprise's workflow, category,
-- priority or rule was refused with its own message, while a reference to an id that does
-- not exist got the foreign key's; comparing the two told a member which ids other
-- enterprises hold. Another enterprise's row is now refused exactly as a missing row is:
-- the foreign key's SQLSTATE, message, detail, table and constraint name.

create or replace function notify_internal.refuse_cross_enterprise_references() returns trigger
language plpgsql
-- Definer: the check must see the referenced row whatever the writer may read;
-- under the writer's RLS another enterprise's row would be invisible and pass.
security definer
set search_path = ''
as $$
declare
  v_column text;
  v_referenced_table text;
  v_offending_reference bigint;
  v_constraint text;
  v_writer_sees_keys boolean;
begin
  -- tg_argv holds (column, referenced table) pairs.
  for i in 0 .. tg_nargs / 2 - 1 loop
    v_column := tg_argv[i * 2];
    v_referenced_table := tg_argv[i * 2 + 1];
    execute format(
      'select n.%2$I from new_rows n join notify.%1$I r on r.id = n.%2$I
        where r.enterprise_id is not null and r.enterprise_id is distinct from n.enterprise_id
        limit 1',
      v_referenced_table, v_column
    ) into v_offending_reference;
    if v_offending_reference is not null then
      select c.conname into v_constraint
        from pg_catalog.pg_constraint as c
        join pg_catalog.pg_attribute as a
          on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
       where c.conrelid = tg_relid and c.contype = 'f' and a.attname = v_column;
      -- The foreign key shows the key only to a writer not subject to RLS on the referenced
      -- table (ri_ReportViolation in PostgreSQL's ri_triggers.c). This function runs as its
      -- owner; the `role` setting still holds the writer's role (SET ROLE, as PostgREST does).
      select r.rolsuper or r.rolbypassrls into v_writer_sees_keys
        from pg_catalog.pg_roles as r
       where r.rolname = coalesce(nullif(pg_catalog.current_setting('role'), 'none'), session_user);
      -- Word for word what the foreign key says of an id that does not exist.
      raise exception 'insert or update on table "%" violates foreign key constraint "%"',
        tg_table_name, v_constraint
        using errcode = 'foreign_key_violation',
          detail = case when v_writer_sees_keys
            then format('Key (%s)=(%s) is not present in table "%s".',
              v_column, v_offending_reference, v_referenced_table)
            else format('Key is not present in table "%s".', v_referenced_table)
          end,
          schema = tg_table_schema,
          table = tg_table_name,
          constraint = v_constraint;
    end if;
  end loop;
  return null;
end
$$;
comment on function notify_internal.refuse_cross_enterprise_references() is 'Statement trigger (arguments: column, referenced table pairs): refuses rows that reference another enterprise''s workflow, category, priority or rule with the same error a missing row gets from the foreign key.';
