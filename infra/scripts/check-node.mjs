// Refuses to run the project's scripts on a Node older than the engines field allows.
// Written in plain JavaScript that even very old Node versions can parse.
const required = 22;
const major = Number(process.versions.node.split('.')[0]);
if (major < required) {
  process.stderr.write(
    `Tatkal needs Node >= ${required} (24 LTS recommended); this is Node ${process.versions.node}.\n` +
      'Run the commands from the README (./infra/run demo, ./infra/run test): they install Node 24 into .tools/ without touching the system Node.\n',
  );
  process.exit(1);
}
