import type { GroupRow, UserRow } from '../model/resources';

export function UsersTable({ rows }: { rows: readonly UserRow[] }) {
  return (
    <table className="data-table" data-testid="users-table">
      {/* Fixed layout with set widths: long values ellipsize instead of pushing columns off-screen. */}
      <colgroup>
        <col className="w-28" />
        <col className="w-18" />
        <col className="w-28" />
        <col className="w-16" />
        <col className="w-10" />
      </colgroup>
      <thead>
        <tr>
          <th>userName</th>
          <th>Display name</th>
          <th>Work email</th>
          <th>Department</th>
          <th>Active</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-testid="user-row">
            <td className="mono strong" data-testid="user-name" title={row.userName}>
              {row.userName}
            </td>
            <td title={row.displayName}>{row.displayName || <span className="muted">—</span>}</td>
            <td className="mono" title={row.workEmail}>
              {row.workEmail || <span className="muted">—</span>}
            </td>
            <td title={row.department}>{row.department || <span className="muted">—</span>}</td>
            <td>
              {row.active === undefined ? (
                <span className="muted">—</span>
              ) : (
                <span className={`pill ${row.active ? 'success' : 'neutral'}`}>{row.active ? 'active' : 'inactive'}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function GroupsTable({ rows }: { rows: readonly GroupRow[] }) {
  return (
    <table className="data-table" data-testid="groups-table">
      <colgroup>
        <col className="w-34" />
        <col className="w-12" />
        <col className="w-20" />
        <col className="w-34" />
      </colgroup>
      <thead>
        <tr>
          <th>displayName</th>
          <th className="numeric">Members</th>
          <th>externalId</th>
          <th>id</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-testid="group-row">
            <td className="strong" title={row.displayName}>
              {row.displayName}
            </td>
            <td className="numeric mono">{row.members}</td>
            <td className="mono">{row.externalId || <span className="muted">—</span>}</td>
            <td className="mono muted" title={row.id}>
              {row.id}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
