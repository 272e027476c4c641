import type { commandHandler } from '../app/commandHandler.ts';
import type { Tracing } from './tracing.ts';

type Handle = ReturnType<typeof commandHandler>;

/** The command handler with a span per command (named after its type), around its reads, decision and append. */
export function tracedCommandHandler(handle: Handle, tracing: Tracing): Handle {
  if (!tracing.enabled) return handle;
  return ((streamName, decider, command, context, options) =>
    tracing.inSpan(`command ${(command as { type?: string }).type ?? 'unknown'}`, { 'command.stream': streamName }, () =>
      handle(streamName, decider, command, context, options),
    )) as Handle;
}
