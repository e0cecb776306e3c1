/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fuzz target for macro expansion. The input is split at the first NUL:
 * the text, then an optional value given to every GPP letter and to MA, so
 * that values containing '$' are exercised too. Checks the properties that
 * must hold for any input, against a small model of the rules. */
#include "dp-macro.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* With no value known, expansion only turns "$$" into "$". */
static char *
model_without_values (const char *text)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; text[i] != '\0'; i++)
    {
      g_string_append_c (out, text[i]);
      if (text[i] == '$' && text[i + 1] == '$')
        i++;
    }
  return g_string_free (out, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *input = g_strndup ((const char *) data, size);
  const char *text = input;
  gsize text_len = strlen (input);
  const char *value = text_len < size ? input + text_len + 1 : "v$MA$$";
  g_autoptr(DpMacroContext) ctx = dp_macro_context_new ();
  g_autoptr(DpMacroContext) other = dp_macro_context_new ();
  g_autofree char *bare = NULL;
  g_autofree char *model = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *plain_other = NULL;
  g_autofree char *secret = NULL;
  GError *error = NULL;

  /* value may hold more NULs: take its first string, which g_strndup kept */
  for (char c = 'A'; c <= 'P'; c++)
    {
      char name[2] = { c, '\0' };
      dp_macro_context_set (ctx, name, value);
      dp_macro_context_set (other, name, value);
    }
  dp_macro_context_set (ctx, "MA", value);
  dp_macro_context_set (other, "MA", value);
  dp_macro_context_set (ctx, "SA", "<secret>");
  dp_macro_context_set (other, "SA", "<public>");

  bare = dp_macro_expand (text, NULL, DP_MACRO_FLAGS_NONE);
  model = model_without_values (text);
  g_assert_cmpstr (bare, ==, model);

  plain = dp_macro_expand (text, ctx, DP_MACRO_FLAGS_NONE);
  secret = dp_macro_expand (text, ctx, DP_MACRO_FLAGS_SECRETS);
  /* Without the flag the secret's value has no influence on the result.
   * (Searching the result for "<secret>" was wrong: the text can spell it
   * around a macro that expands to nothing, e.g. "<secret$M>" with $M's
   * value not UTF-8, which libFuzzer found.) */
  plain_other = dp_macro_expand (text, other, DP_MACRO_FLAGS_NONE);
  g_assert_cmpstr (plain, ==, plain_other);
  /* text without '$' is unchanged */
  if (strchr (text, '$') == NULL)
    {
      g_assert_cmpstr (plain, ==, text);
      g_assert_cmpstr (secret, ==, text);
    }

  if (!dp_macro_check (text, &error))
    {
      g_assert_nonnull (strstr (error->message, "position "));
      g_clear_error (&error);
    }
  return 0;
}
