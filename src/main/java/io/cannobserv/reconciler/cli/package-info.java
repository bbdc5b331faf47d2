/**
 * The command line and what an operator reads of it: the commands and their options,
 * usage, the settings' check before start, and failures as one line (a command's refusal
 * with its exit code, exception chains read down to their cause).
 */
@NullMarked
package io.cannobserv.reconciler.cli;

import org.jspecify.annotations.NullMarked;
