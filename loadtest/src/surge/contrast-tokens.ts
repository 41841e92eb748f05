// The contrast run's crowd holds what a crowd that all got in at once would hold: one valid
// admission token each, signed here with the run's own waiting-room key file. The booking API
// is the production build with its token gate intact; only the queue in front of it is gone.
import { writeFile } from 'node:fs/promises';
import { admissionJti, issueAdmissionToken, loadSigningKeys } from '@tatkal/waiting-room';
import type { SurgeWorld } from './world.ts';
import { surgeClass, surgeQuota, surgeRoomId } from './world.ts';

/** Writes `count` tokens, one line each (line n for visitor n), valid for `validForS`. */
export async function mintCrowdTokens(
  world: SurgeWorld,
  count: number,
  validForS: number,
  file: string,
): Promise<void> {
  const keys = await loadSigningKeys(world.keyFile);
  const issuedAtSec = Math.floor(Date.now() / 1000) - 1;
  const lines: string[] = [];
  for (let n = 0; n < count; n++) {
    lines.push(
      await issueAdmissionToken(keys.signing, {
        issuer: 'tatkal-waiting-room',
        audience: 'tatkal-booking-api',
        subject: `contrast-visitor-${n + 1}`,
        room: surgeRoomId,
        scope: { journeyId: world.journeyId, classes: [surgeClass], quotas: [surgeQuota] },
        jti: admissionJti(surgeRoomId, n + 1),
        issuedAtSec,
        sessionSeconds: validForS,
      }),
    );
  }
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
}
