/**
 * Queries (RFC 7644 §3.4.2, §3.4.3): a list of one resource type, from GET or POST `.search`,
 * and the root search across every type.
 */
import { compileFilter } from './filter/evaluate.js';
import { parseFilter } from './filter/parser.js';
import { LIST_RESPONSE_SCHEMA } from './discovery.js';
import type { Exchange, HandlerContext } from './exchange.js';
import type { ScimResponse } from './http-types.js';
import { parseProjection } from './projection.js';
import { listResources, narrowFilter } from './query.js';
import type { StoredResource } from './resource.js';
import { render } from './resources.js';
import { respond } from './responses.js';
import type { ResourceTypeDef } from './schema/resource-types.js';
import { type SearchInput, listParams } from './search-request.js';

export function search(ctx: HandlerContext, types: readonly ResourceTypeDef[], input: SearchInput, ex: Exchange): ScimResponse {
  const filter = input.filter !== undefined && input.filter.trim() !== '' ? parseFilter(input.filter) : undefined;
  const params = listParams(input, filter, ctx.limits);
  if (types.length === 1) {
    const type = types[0]!;
    const result = listResources(ctx.store, type, params);
    const projection = parseProjection(type, input.attributes, input.excludedAttributes);
    return respond(200, {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: result.totalResults,
      itemsPerPage: result.page.length,
      startIndex: params.startIndex,
      Resources: result.page.map((stored) => render(ctx, type, stored, ex, projection)),
    });
  }
  // Root search (RFC 7644 §3.4.3): each type contributes what the filter matches there; a
  // filter naming attributes only one type has is false for the other.
  const matched: { type: ResourceTypeDef; stored: StoredResource }[] = [];
  let decided = 0;
  for (const type of types) {
    const narrowed = filter ? narrowFilter(filter, type) : true;
    if (narrowed === false) continue;
    decided++;
    const everything = { startIndex: 1, count: Number.MAX_SAFE_INTEGER, ...(narrowed === true ? {} : { filter: narrowed }) };
    for (const stored of listResources(ctx.store, type, everything).page) matched.push({ type, stored });
  }
  if (filter && decided === 0) {
    // No type defines these attributes: compiling against Users throws the precise invalidFilter.
    compileFilter(filter, types[0]!);
  }
  if (params.sortBy) {
    ex.notes.push({ code: 'root-search-sort-ignored', detail: 'sortBy is not applied across resource types in a root search; results are Users then Groups' });
  }
  const page = params.count > 0 ? matched.slice(params.startIndex - 1, params.startIndex - 1 + params.count) : [];
  return respond(200, {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: matched.length,
    itemsPerPage: page.length,
    startIndex: params.startIndex,
    Resources: page.map(({ type, stored }) => render(ctx, type, stored, ex, parseProjection(type, input.attributes, input.excludedAttributes))),
  });
}
