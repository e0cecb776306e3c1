/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every subcommand: argv[0] is its name; returns the exit code. */
#pragma once

int dp_ctl_cmd_profile  (int argc, char **argv);
int dp_ctl_cmd_dialplan (int argc, char **argv);
int dp_ctl_cmd_tone     (int argc, char **argv);
int dp_ctl_cmd_dst      (int argc, char **argv);
int dp_ctl_cmd_rule     (int argc, char **argv);
int dp_ctl_cmd_macro    (int argc, char **argv);
int dp_ctl_cmd_status   (int argc, char **argv);
int dp_ctl_cmd_config   (int argc, char **argv);
int dp_ctl_cmd_plugins  (int argc, char **argv);
int dp_ctl_cmd_dial     (int argc, char **argv);
int dp_ctl_cmd_answer   (int argc, char **argv);
int dp_ctl_cmd_hangup   (int argc, char **argv);
int dp_ctl_cmd_hold     (int argc, char **argv);
int dp_ctl_cmd_resume   (int argc, char **argv);
int dp_ctl_cmd_transfer (int argc, char **argv);
int dp_ctl_cmd_conference (int argc, char **argv);
int dp_ctl_cmd_dtmf     (int argc, char **argv);
int dp_ctl_cmd_calls    (int argc, char **argv);
int dp_ctl_cmd_lines    (int argc, char **argv);
int dp_ctl_cmd_resync   (int argc, char **argv);
int dp_ctl_cmd_upgrade  (int argc, char **argv);
int dp_ctl_cmd_feeds    (int argc, char **argv);
int dp_ctl_cmd_sidecar  (int argc, char **argv);
int dp_ctl_cmd_language (int argc, char **argv);
int dp_ctl_cmd_history  (int argc, char **argv);
int dp_ctl_cmd_directory (int argc, char **argv);
