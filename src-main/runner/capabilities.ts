/**
 * What a target declares it supports, read from its /ServiceProviderConfig (RFC 7643 §5), so a
 * step that `requires` a feature the target does not offer is reported as not applicable instead
 * of failing. A target without the document (or with one that does not parse) declares nothing:
 * its optional features are unknown, and steps that need them are not applicable either.
 */
import type { Capability } from '../scenarios/scenario.js';
import { type ReceivedResponse, jsonBody } from './http.js';

export interface CapabilityReading {
  /** The features whose `supported` is exactly `true`. */
  readonly supported: ReadonlySet<Capability>;
  /** Why nothing is declared, when the document could not be read: `GET /ServiceProviderConfig answered 404`. */
  readonly unavailable?: string;
}

/** Reads the capabilities from the response to `GET /ServiceProviderConfig`. */
export function capabilitiesFrom(response: ReceivedResponse, capabilities: readonly Capability[]): CapabilityReading {
  if (response.status !== 200) return { supported: new Set(), unavailable: `GET /ServiceProviderConfig answered ${response.status}` };
  const body = jsonBody(response);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { supported: new Set(), unavailable: 'GET /ServiceProviderConfig did not answer a JSON object' };
  }
  const document = body as Record<string, unknown>;
  const supported = capabilities.filter((name) => {
    const feature = document[name];
    return feature !== null && typeof feature === 'object' && (feature as Record<string, unknown>).supported === true;
  });
  return { supported: new Set(supported) };
}

/** Why a step that needs `required` does not apply to a target with `reading`; undefined when it applies. */
export function notApplicableReason(required: readonly Capability[], reading: CapabilityReading): string | undefined {
  const missing = required.filter((name) => !reading.supported.has(name));
  if (missing.length === 0) return undefined;
  const names = missing.join(', ');
  if (reading.unavailable !== undefined) {
    return `Not applicable: the target does not declare ${names} support (${reading.unavailable})`;
  }
  return `Not applicable: the target declares ${names} unsupported in /ServiceProviderConfig`;
}
