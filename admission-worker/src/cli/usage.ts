// What the CLI prints for --help and on a usage error, and the error that means
// "the command line was wrong" (exit code 2) rather than "the server said no" (1).

export const usage = `tatkal — operator commands for Tatkal waiting rooms

Usage:
  tatkal rooms list [--json]
  tatkal rooms show ROOM [--json]
  tatkal rooms open|pause|resume|close ROOM
  tatkal rooms drain ROOM [off]          stop new joins; everyone waiting is still admitted
  tatkal rooms brake ROOM on|off         emergency brake: admit nobody while on
  tatkal rooms set ROOM [--min N] [--max N] [--max-active N] [--latency-target MS]
                        [--name TEXT] [--mode fifo|fifo_shuffle] [--session-seconds N]
                        [--prequeue-at ISO] [--opens-at ISO] [--closes-at ISO]
  tatkal rooms create ROOM --name TEXT --classes 3A,2A --quotas TQ,PT [--journey ID]
                        --prequeue-at ISO --opens-at ISO --closes-at ISO
                        [--mode fifo|fifo_shuffle] [--session-seconds N]
  tatkal revoke ROOM                     revoke every admission token of the room issued until now
  tatkal watch ROOM [--ticks N] [--backlog N]
                                         one line per admission tick, live; Ctrl-C stops
  tatkal audit [--room ROOM] [--limit N]
  tatkal whoami
  tatkal tokens create --name NAME --role viewer|operator
                                         prints the new token once (needs DATABASE_URL only)

Environment:
  TATKAL_ADMIN_URL     admin API base URL (default http://127.0.0.1:8082)
  TATKAL_ADMIN_TOKEN   operator token for every command but "tokens create"
  DATABASE_URL         PostgreSQL URL, for "tokens create"

Exit codes: 0 done, 1 refused or failed, 2 usage error.
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Thrown when the server refused or the request failed; the message is for the operator. */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
}
