/** Headers as sent or received, in a collapsible block (closed by default: bodies matter first). */
export function HeaderTable({ title, headers }: { title: string; headers: readonly (readonly [string, string])[] }) {
  return (
    <details className="xh">
      <summary>
        {title} <span className="xh-count">{headers.length}</span>
      </summary>
      {headers.length === 0 ? (
        <div className="xb-empty">None</div>
      ) : (
        <table className="xh-table">
          <tbody>
            {headers.map(([name, value], i) => (
              <tr key={`${name}-${i}`}>
                <th scope="row">{name}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
