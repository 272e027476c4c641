import type { ProposedEvent } from './storedEvent.ts';

/**
 * Events a fresh EventStoreDB node writes before any client connects (its default users), so
 * that `$all` holds `$`-streams with `$`-typed events as it does on a real server.
 */
export function systemSeedEvents(): Array<{ streamName: string; event: ProposedEvent }> {
  return [
    { streamName: '$user-admin', event: systemEvent('$User', { loginName: 'admin', fullName: 'Event Store Administrator', groups: ['$admins'] }) },
    { streamName: '$users', event: systemEvent('$UserCreated', 'admin') },
  ];
}

function systemEvent(type: string, data: unknown): ProposedEvent {
  return {
    id: crypto.randomUUID(),
    type,
    contentType: 'application/json',
    data: new TextEncoder().encode(JSON.stringify(data)),
    metadata: new Uint8Array(),
  };
}
