import { PAGE_SIZES } from '../model/directory-query';
import type { PageInfo } from '../model/paging';

export function Pager(props: {
  page: PageInfo;
  pageSize: number;
  onPrevious: () => void;
  onNext: () => void;
  onPageSize: (size: number) => void;
}) {
  const { page, pageSize, onPrevious, onNext, onPageSize } = props;
  return (
    <div className="pager" role="navigation" aria-label="Pages">
      <span className="pager-range" data-testid="page-range" aria-live="polite">
        {page.total === 0 ? 'No results' : `${page.first}–${page.last} of ${page.total}`}
      </span>
      <label className="pager-size">
        Rows
        <select value={pageSize} onChange={(event) => onPageSize(Number(event.target.value))}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
      <div className="pager-buttons">
        <button type="button" className="button subtle" disabled={!page.hasPrevious} onClick={onPrevious}>
          ‹ Prev
        </button>
        <button type="button" className="button subtle" disabled={!page.hasNext} onClick={onNext}>
          Next ›
        </button>
      </div>
    </div>
  );
}
