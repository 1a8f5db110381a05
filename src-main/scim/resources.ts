/**
 * The resource endpoints (RFC 7644 §3.3, §3.4.1, §3.5, §3.6): create, read, replace, patch and
 * delete one User or Group, with their preconditions and the representation sent back.
 */
import { ScimError, notFound } from './errors.js';
import { type Exchange, type HandlerContext, parseBody } from './exchange.js';
import type { ScimResponse } from './http-types.js';
import { prepareWrite } from './integrity.js';
import { applyPatch } from './patch.js';
import { type Projection, applyProjection, isProjecting, parseProjection } from './projection.js';
import { checkIfMatch, notModifiedVersion } from './preconditions.js';
import { currentVersion, renderResource, topLevelAttributes } from './render.js';
import { type ScimObject, type StoredResource, isObject } from './resource.js';
import { readResourceBody } from './resource-input.js';
import { respond } from './responses.js';
import type { ResourceTypeDef } from './schema/resource-types.js';

export function projectionFrom(type: ResourceTypeDef, ex: Exchange): Projection {
  return parseProjection(type, ex.query.get('attributes'), ex.query.get('excludedattributes'));
}

/** The resource as the client asked to see it (`attributes` / `excludedAttributes`). */
export function render(ctx: HandlerContext, type: ResourceTypeDef, stored: StoredResource, ex: Exchange, projection: Projection): ScimObject {
  const rendered = renderResource(type, stored, ctx.store, ex.baseUrl);
  return isProjecting(projection) ? applyProjection(type, rendered, projection, topLevelAttributes(type)) : rendered;
}

function resourceResponse(
  ctx: HandlerContext,
  status: number,
  type: ResourceTypeDef,
  stored: StoredResource,
  ex: Exchange,
  location?: string,
): ScimResponse {
  const full = renderResource(type, stored, ctx.store, ex.baseUrl);
  const version = (full.meta as ScimObject).version as string;
  const projection = projectionFrom(type, ex);
  const body = isProjecting(projection) ? applyProjection(type, full, projection, topLevelAttributes(type)) : full;
  return respond(status, body, location === undefined ? { etag: version } : { etag: version, location });
}

function requireExisting(ctx: HandlerContext, type: ResourceTypeDef, id: string): StoredResource {
  const stored = ctx.store.get(type.name, id);
  if (!stored) throw notFound(`${type.name} "${id}" not found`);
  return stored;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a).filter((key) => a[key] !== undefined);
    const otherKeys = Object.keys(b).filter((key) => b[key] !== undefined);
    return keys.length === otherKeys.length && keys.every((key) => sameJson(a[key], b[key]));
  }
  return false;
}

function withoutMeta(resource: ScimObject): ScimObject {
  const { meta: _meta, ...rest } = resource;
  return rest;
}

export async function createResource(ctx: HandlerContext, type: ResourceTypeDef, ex: Exchange): Promise<ScimResponse> {
  const attributes = readResourceBody(type, parseBody(ex), ex.notes);
  const id = ctx.newId();
  const now = ctx.now().toISOString();
  const resource: ScimObject = { schemas: [], id, ...attributes };
  prepareWrite(ctx.store, type, resource, id, ex.notes);
  resource.meta = { resourceType: type.name, created: now, lastModified: now, revision: 1 };
  const stored = resource as StoredResource;
  await ctx.store.commit([{ op: 'put', resource: stored }], { exchange: ex.seq });
  const location = `${ex.baseUrl}${type.endpoint}/${id}`;
  return resourceResponse(ctx, 201, type, stored, ex, location);
}

/** Commits `next` as the new state of `existing` unless nothing changed (then the version stays). */
async function update(ctx: HandlerContext, type: ResourceTypeDef, existing: StoredResource, next: ScimObject, ex: Exchange): Promise<StoredResource> {
  if (sameJson(withoutMeta(existing), withoutMeta(next))) return existing;
  next.meta = {
    resourceType: type.name,
    created: existing.meta.created,
    lastModified: ctx.now().toISOString(),
    revision: existing.meta.revision + 1,
  };
  const stored = next as StoredResource;
  await ctx.store.commit([{ op: 'put', resource: stored }], { exchange: ex.seq });
  return stored;
}

export async function replaceResource(ctx: HandlerContext, type: ResourceTypeDef, id: string, ex: Exchange): Promise<ScimResponse> {
  const existing = requireExisting(ctx, type, id);
  checkIfMatch(type, existing, ex, ctx.store);
  const attributes = readResourceBody(type, parseBody(ex), ex.notes);
  const next: ScimObject = { schemas: [], id, ...attributes };
  for (const def of type.schema.attributes) {
    // RFC 7643 §7: an immutable attribute may be set once, never changed.
    if (def.mutability === 'immutable' && existing[def.name] !== undefined && !sameJson(existing[def.name], next[def.name])) {
      throw new ScimError(400, 'mutability', `"${def.name}" is immutable and cannot be changed`);
    }
  }
  prepareWrite(ctx.store, type, next, id, ex.notes);
  const stored = await update(ctx, type, existing, next, ex);
  return resourceResponse(ctx, 200, type, stored, ex);
}

export async function patchResource(ctx: HandlerContext, type: ResourceTypeDef, id: string, ex: Exchange): Promise<ScimResponse> {
  const existing = requireExisting(ctx, type, id);
  checkIfMatch(type, existing, ex, ctx.store);
  const result = applyPatch(existing, parseBody(ex), type);
  ex.notes.push(...result.notes);
  const next: ScimObject = { ...result.resource, id };
  prepareWrite(ctx.store, type, next, id, ex.notes);
  const stored = await update(ctx, type, existing, next, ex);
  // Users come back whole (200). Groups answer 204 unless the client asks for attributes:
  // Entra documents 204 for group PATCH (use-scim-to-provision-users-and-groups.md,
  // "Update Group [Add Members]"), and a large group's member list is costly to echo.
  if (type.name === 'Group' && !isProjecting(projectionFrom(type, ex))) {
    return respond(204, undefined, { etag: currentVersion(type, stored, ctx.store) });
  }
  return resourceResponse(ctx, 200, type, stored, ex);
}

export async function deleteResource(ctx: HandlerContext, type: ResourceTypeDef, id: string, ex: Exchange): Promise<ScimResponse> {
  const existing = requireExisting(ctx, type, id);
  checkIfMatch(type, existing, ex, ctx.store);
  await ctx.store.commit([{ op: 'delete', type: type.name, id }], { exchange: ex.seq });
  return respond(204);
}

export function readResource(ctx: HandlerContext, type: ResourceTypeDef, id: string, ex: Exchange): ScimResponse {
  const stored = requireExisting(ctx, type, id);
  const unchanged = notModifiedVersion(type, stored, ex, ctx.store);
  if (unchanged !== undefined) return respond(304, undefined, { etag: unchanged });
  return resourceResponse(ctx, 200, type, stored, ex);
}
