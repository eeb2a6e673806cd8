/*
 * unicode.h: one spelling for text that can be written many ways, so that
 * what is judged is what a reader (or a shell) sees.
 *
 * text_fold() applies NFKC (fullwidth letters become ASCII), drops the
 * default-ignorable code points and other format characters (zero-width
 * spaces and joiners, bidi controls such as U+202E) and folds confusables to
 * their ASCII skeleton (ICU's uspoof_getSkeleton: a Cyrillic с becomes c).
 * judge 1 folds every character that has an ASCII skeleton (for checks);
 * judge 0 only those in a word that also has ASCII letters (for what is
 * published: "сurl" becomes "curl", a Russian word stays Russian).
 * Returns a malloc'd string (NULL only for NULL); invalid UTF-8 becomes
 * U+FFFD, and a text ICU cannot read becomes "" rather than stay raw.
 */
#ifndef DREAMD_UNICODE_H
#define DREAMD_UNICODE_H

char *text_fold(const char *s, int judge);

#endif
