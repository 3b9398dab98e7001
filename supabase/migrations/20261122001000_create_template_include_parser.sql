-- The database's reading of a template source, so a save can be refused
-- before a render ever fails. It must accept exactly what the TypeScript
-- engine accepts (shared/templates/include_parser.ts for includes, mustache.js
-- parseTemplate for sections), because a row the database lets through is
-- rendered by the engine later.

create function notify_internal.template_includes(p_source text)
returns table (ref_key text, ref_id bigint, ref_label text, tag_start integer, tag_end integer)
language plpgsql
immutable
strict
security invoker
set search_path = ''
as $$
declare
  -- JavaScript's \s, which the engine's tokenizer skips.
  c_whitespace constant text := E' \t\n\r\f\u000b\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
  c_identifier_start constant text := 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_$';
  c_identifier_part constant text := c_identifier_start || '0123456789';
  c_include_function constant text := 'xnovu_render';
  c_placeholder constant text := '{{&xnovu_include}}';
  c_max_safe_integer constant numeric := 9007199254740991;

  v_chars text[] := regexp_split_to_array(p_source, '');
  v_length integer := char_length(p_source);

  -- Includes found, in source order.
  v_starts integer[] := '{}';
  v_ends integer[] := '{}';
  v_keys text[] := '{}';
  v_ids bigint[] := '{}';
  v_labels text[] := '{}';

  -- Include scan.
  v_tag_start integer;
  v_position integer;
  v_variant text;
  v_state text;
  v_argument_names text[];
  v_char text;
  -- Current token.
  v_token_type text;
  v_token_value text;
  v_token_number numeric;
  v_token_start integer;
  v_index integer;
  v_escaped text;
  v_error_offset integer;
  v_error_detail text;
  v_error_kind text;

  -- Section scan (mustache.js parseTemplate over the source with includes replaced).
  v_text text := '';
  v_copied integer := 0;
  v_placeholder_offsets integer[] := '{}';
  v_placeholders_seen integer[] := '{}';
  v_open_tag text := '{{';
  v_close_tag text := '}}';
  v_sections text[] := '{}';
  v_cursor integer := 0;
  v_found integer;
  v_type text;
  v_value text;
  v_tags text[];
  v_text_offset integer;
  v_shift integer;
  v_include integer;
begin
  -- 1. Includes (findIncludes): every "{{" whose name is xnovu_render.
  v_tag_start := strpos(p_source, '{{') - 1;
  while v_tag_start >= 0 loop
    v_position := v_tag_start + 2;
    v_variant := null;
    if v_chars[v_position + 1] in ('{', '&') then
      v_variant := v_chars[v_position + 1];
      v_position := v_position + 1;
    end if;
    while v_position < v_length and strpos(c_whitespace, v_chars[v_position + 1]) > 0 loop
      v_position := v_position + 1;
    end loop;

    if array_to_string(v_chars[v_position + 1 : v_position + 12], '') = c_include_function
      and coalesce(strpos(c_identifier_part, nullif(v_chars[v_position + 13], '')), 0) = 0
    then
      if v_variant is not null then
        v_error_kind := 'include';
        v_error_offset := v_tag_start;
        v_error_detail := 'write it as {{ xnovu_render(...) }}';
        exit;
      end if;

      -- Tokenizer + LL(1) descent over the call, one token per iteration. The
      -- grammar (include_parser.ts) is not recursive, so each rule is a state:
      --   name lparen ref after_ref [after_comma [object_key colon value
      --   after_value ...] after_object] close
      v_state := 'name';
      v_argument_names := '{}';
      loop
        -- Scan one token at v_position.
        while v_position < v_length and strpos(c_whitespace, v_chars[v_position + 1]) > 0 loop
          v_position := v_position + 1;
        end loop;
        v_token_start := v_position;
        v_token_value := null;
        v_token_number := null;
        if v_position >= v_length then
          v_token_type := 'end';
        else
          v_char := v_chars[v_position + 1];
          if strpos('(){},:', v_char) > 0 then
            v_token_type := 'punct';
            v_token_value := v_char;
            v_position := v_position + 1;
          elsif v_char in ('''', '"') then
            v_token_type := 'string';
            v_token_value := '';
            v_index := v_position + 1;
            while v_index < v_length and v_chars[v_index + 1] <> v_char loop
              if v_chars[v_index + 1] = '\' and v_index + 1 < v_length then
                v_escaped := v_chars[v_index + 2];
                v_token_value := v_token_value || case v_escaped
                  when 'n' then E'\n' when 'r' then E'\r' when 't' then E'\t' else v_escaped end;
                v_index := v_index + 2;
              else
                v_token_value := v_token_value || v_chars[v_index + 1];
                v_index := v_index + 1;
              end if;
            end loop;
            if v_index >= v_length then
              v_error_offset := v_token_start;
              v_error_detail := 'unterminated string';
              exit;
            end if;
            v_position := v_index + 1;
          elsif v_char = '-' or v_char between '0' and '9' then
            v_token_type := 'number';
            v_token_value := substring(array_to_string(v_chars[v_position + 1 : v_position + 64], '')
              from '^-?[0-9]+(?:\.[0-9]+)?');
            if v_token_value is not null then
              v_position := v_position + char_length(v_token_value);
            end if;
            if v_token_value is null or (v_position < v_length
              and strpos(c_identifier_part, v_chars[v_position + 1]) > 0)
            then
              v_error_offset := v_token_start;
              v_error_detail := 'malformed number';
              exit;
            end if;
            v_token_number := v_token_value::numeric;
          elsif strpos(c_identifier_start, v_char) > 0 then
            -- An identifier or a dotted path such as user.address.city or items.0.
            v_token_type := 'word';
            v_index := v_position + 1;
            loop
              while v_index < v_length and strpos(c_identifier_part, v_chars[v_index + 1]) > 0 loop
                v_index := v_index + 1;
              end loop;
              exit when not coalesce(v_chars[v_index + 1] = '.' and v_index + 1 < v_length
                and strpos(c_identifier_part, v_chars[v_index + 2]) > 0, false);
              v_index := v_index + 1;
            end loop;
            v_token_value := array_to_string(v_chars[v_position + 1 : v_index], '');
            v_position := v_index;
          else
            v_error_offset := v_token_start;
            v_error_detail := format('unexpected character "%s"', v_char);
            exit;
          end if;
        end if;

        -- Consume it in the current rule.
        v_error_offset := v_token_start;
        case v_state
          when 'name' then
            if v_token_type = 'word' and v_token_value = c_include_function then
              v_state := 'lparen';
            else
              v_error_detail := format('expected "%s"', c_include_function);
            end if;
          when 'lparen' then
            if v_token_type = 'punct' and v_token_value = '(' then
              v_state := 'ref';
            else
              v_error_detail := 'expected "("';
            end if;
          when 'ref' then
            if v_token_type = 'string' then
              if btrim(v_token_value, c_whitespace) = '' then
                v_error_detail := 'empty template reference';
              elsif v_token_value ~ '^[0-9]+$' then
                -- A quoted string of digits names an id, as in the seeds' '12345'.
                -- One too large for bigint can name no row: -1 never resolves.
                v_token_number := v_token_value::numeric;
                v_keys := v_keys || null::text;
                v_ids := v_ids || case when v_token_number <= 9223372036854775807
                  then v_token_number::bigint else -1 end;
                v_labels := v_labels || ('#' || v_token_number::text);
                v_state := 'after_ref';
              else
                v_keys := v_keys || v_token_value;
                v_ids := v_ids || null::bigint;
                v_labels := v_labels || v_token_value;
                v_state := 'after_ref';
              end if;
            elsif v_token_type = 'number' and v_token_number = trunc(v_token_number)
              and v_token_number > 0 and v_token_number <= c_max_safe_integer
            then
              v_keys := v_keys || null::text;
              v_ids := v_ids || v_token_number::bigint;
              v_labels := v_labels || ('#' || v_token_number::bigint::text);
              v_state := 'after_ref';
            else
              v_error_detail := 'expected a quoted template key or a positive integer id';
            end if;
          when 'after_ref' then
            if v_token_type = 'punct' and v_token_value = ',' then
              v_state := 'after_comma';
            elsif v_token_type = 'punct' and v_token_value = ')' then
              v_state := 'close';
            else
              v_error_detail := 'expected ")"';
            end if;
          when 'after_comma' then
            if v_token_type = 'punct' and v_token_value = '{' then
              v_state := 'object_key';
            elsif v_token_type = 'punct' and v_token_value = ')' then
              v_state := 'close';
            else
              v_error_detail := 'expected ")"';
            end if;
          when 'object_key' then
            if v_token_type = 'punct' and v_token_value = '}' then
              v_state := 'after_object';
            elsif v_token_type = 'string' or (v_token_type = 'word' and strpos(v_token_value, '.') = 0) then
              if v_token_value = any (v_argument_names) then
                v_error_detail := format('duplicate argument "%s"', v_token_value);
              else
                v_argument_names := v_argument_names || v_token_value;
                v_state := 'colon';
              end if;
            else
              v_error_detail := 'expected an argument name';
            end if;
          when 'colon' then
            if v_token_type = 'punct' and v_token_value = ':' then
              v_state := 'value';
            else
              v_error_detail := 'expected ":"';
            end if;
          when 'value' then
            -- A string, a number, true/false, or a variable path: all words are values.
            if v_token_type in ('string', 'number', 'word') then
              v_state := 'after_value';
            else
              v_error_detail := 'expected a string, number, boolean or variable name';
            end if;
          when 'after_value' then
            if v_token_type = 'punct' and v_token_value = ',' then
              v_state := 'object_key';
            elsif v_token_type = 'punct' and v_token_value = '}' then
              v_state := 'after_object';
            else
              v_error_detail := 'expected "}"';
            end if;
          when 'after_object' then
            if v_token_type = 'punct' and v_token_value = ')' then
              v_state := 'close';
            else
              v_error_detail := 'expected ")"';
            end if;
          when 'close' then
            if v_token_type = 'punct' and v_token_value = '}' and v_chars[v_token_start + 2] = '}' then
              v_starts := v_starts || v_tag_start;
              v_ends := v_ends || (v_token_start + 2);
              exit;
            end if;
            v_error_detail := 'expected "}}" to close the xnovu_render tag';
        end case;
        exit when v_error_detail is not null;
      end loop;
      if v_error_detail is not null then
        v_error_kind := 'include';
        exit;
      end if;
      v_found := strpos(substr(p_source, v_ends[cardinality(v_ends)] + 1), '{{');
      v_tag_start := case when v_found = 0 then -1 else v_ends[cardinality(v_ends)] + v_found - 1 end;
    else
      v_found := strpos(substr(p_source, v_tag_start + 3), '{{');
      v_tag_start := case when v_found = 0 then -1 else v_tag_start + 2 + v_found - 1 end;
    end if;
  end loop;

  -- 2. Sections, as mustache.js parses the text the engine gives it: the
  -- source with each include replaced by a {{&xnovu_include}} placeholder.
  if v_error_kind is null then
    for v_include in 1 .. cardinality(v_starts) loop
      v_text := v_text || substr(p_source, v_copied + 1, v_starts[v_include] - v_copied);
      v_placeholder_offsets := v_placeholder_offsets || char_length(v_text);
      v_text := v_text || c_placeholder;
      v_copied := v_ends[v_include];
    end loop;
    v_text := v_text || substr(p_source, v_copied + 1);

    loop
      v_found := strpos(substr(v_text, v_cursor + 1), v_open_tag);
      exit when v_found = 0;
      v_tag_start := v_cursor + v_found - 1;
      v_cursor := v_tag_start + char_length(v_open_tag);
      v_cursor := v_cursor + char_length(substring(substr(v_text, v_cursor + 1) from '^\s*'));
      v_type := substr(v_text, v_cursor + 1, 1);
      if v_type <> '' and strpos('#^/>{&=!', v_type) > 0 then
        v_cursor := v_cursor + 1;
      else
        v_type := 'name';
      end if;
      v_cursor := v_cursor + char_length(substring(substr(v_text, v_cursor + 1) from '^\s*'));

      if v_type = '=' then
        v_found := strpos(substr(v_text, v_cursor + 1), '=');
        v_value := rtrim(substr(v_text, v_cursor + 1, case when v_found = 0 then null else v_found - 1 end));
        v_cursor := case when v_found = 0 then char_length(v_text) else v_cursor + v_found end;
      elsif v_type = '{' then
        v_found := strpos(substr(v_text, v_cursor + 1), '}' || v_close_tag);
        v_value := rtrim(substr(v_text, v_cursor + 1, case when v_found = 0 then null else v_found - 1 end));
        v_cursor := case when v_found = 0 then char_length(v_text) else v_cursor + v_found end;
        v_type := '&';
      end if;
      v_found := strpos(substr(v_text, v_cursor + 1), v_close_tag);
      if v_found = 0 then
        v_error_kind := 'mustache';
        v_error_offset := char_length(v_text);
        v_error_detail := 'Unclosed tag';
        exit;
      end if;
      if v_type not in ('=', '&') or v_value is null then
        v_value := rtrim(substr(v_text, v_cursor + 1, v_found - 1));
      end if;
      v_cursor := v_cursor + v_found - 1 + char_length(v_close_tag);

      if v_type in ('#', '^') then
        v_sections := v_sections || v_value;
      elsif v_type = '/' then
        if cardinality(v_sections) = 0 then
          v_error_detail := format('Unopened section "%s"', v_value);
        elsif v_sections[cardinality(v_sections)] <> v_value then
          v_error_detail := format('Unclosed section "%s"', v_sections[cardinality(v_sections)]);
        end if;
        if v_error_detail is not null then
          v_error_kind := 'mustache';
          v_error_offset := v_tag_start;
          exit;
        end if;
        v_sections := v_sections[1 : cardinality(v_sections) - 1];
      elsif v_type = '&' and v_tag_start = any (v_placeholder_offsets) then
        v_placeholders_seen := v_placeholders_seen || v_tag_start;
      elsif v_type = '=' then
        v_tags := (regexp_split_to_array(v_value, '\s+'))[1:2];
        if cardinality(v_tags) <> 2 or v_value = '' then
          v_error_kind := 'mustache';
          v_error_offset := v_tag_start;
          v_error_detail := format('Invalid tags: %s', v_value);
          exit;
        end if;
        v_open_tag := v_tags[1];
        v_close_tag := v_tags[2];
      end if;
      -- mustache.js reuses v_value only within one tag.
      v_value := null;
    end loop;
    if v_error_kind is null and cardinality(v_sections) > 0 then
      v_error_kind := 'mustache';
      v_error_offset := char_length(v_text);
      v_error_detail := format('Unclosed section "%s"', v_sections[cardinality(v_sections)]);
    end if;

    if v_error_kind = 'mustache' then
      -- Back from an offset in the placeholder text to one in the source.
      v_shift := 0;
      v_text_offset := v_error_offset;
      for v_include in 1 .. cardinality(v_starts) loop
        exit when v_text_offset < v_starts[v_include] + v_shift;
        if v_text_offset < v_starts[v_include] + v_shift + char_length(c_placeholder) then
          v_shift := v_text_offset - v_starts[v_include];
          exit;
        end if;
        v_shift := v_shift + char_length(c_placeholder) - (v_ends[v_include] - v_starts[v_include]);
      end loop;
      v_error_offset := v_text_offset - v_shift;
    elsif v_error_kind is null then
      -- An include mustache did not see as a tag sits in a comment or after a
      -- delimiter change: the engine refuses it, so must the database.
      for v_include in 1 .. cardinality(v_starts) loop
        if not (v_placeholder_offsets[v_include] = any (v_placeholders_seen)) then
          v_error_kind := 'include';
          v_error_offset := v_starts[v_include];
          v_error_detail := 'xnovu_render inside a mustache comment or after a delimiter change';
          exit;
        end if;
      end loop;
    end if;
  end if;

  if v_error_kind is not null then
    raise exception '%',
      format('malformed %s at offset %s (line %s, column %s): %s',
        v_error_kind, v_error_offset,
        1 + char_length(left(p_source, v_error_offset)) - char_length(replace(left(p_source, v_error_offset), E'\n', '')),
        v_error_offset - coalesce(char_length(substring(left(p_source, v_error_offset) from '^.*\n')), 0) + 1,
        v_error_detail)
      using errcode = 'invalid_text_representation';
  end if;

  for v_include in 1 .. cardinality(v_starts) loop
    ref_key := v_keys[v_include];
    ref_id := v_ids[v_include];
    ref_label := v_labels[v_include];
    tag_start := v_starts[v_include];
    tag_end := v_ends[v_include];
    return next;
  end loop;
end
$$;
comment on function notify_internal.template_includes(text) is
  'The xnovu_render includes of a template source in order: ref_key (a template_key) or ref_id (an integer or a quoted all-digit string), ref_label (the key or #id), tag_start/tag_end (0-based offsets of the tag). Follows shared/templates/include_parser.ts exactly: {{ xnovu_render(''<key or id>'', { name: ''literal'', n: 3, ok: true, who: user.name }) }}, single or double quoted strings with backslash escapes (commas, colons and braces inside are text). Also checks the mustache tags as mustache.js parses them (unclosed tags, unbalanced {{#a}}/{{^a}}...{{/a}}, invalid delimiter changes, includes hidden in comments). Raises invalid_text_representation (22P02) "malformed include|mustache at offset N (line L, column C): detail" on the first problem.';
revoke execute on function notify_internal.template_includes(text) from public, anon;
grant execute on function notify_internal.template_includes(text) to authenticated, service_role;
