import { describe, expect, it } from 'vitest';
import { counted } from '../../../src-renderer/src/model/counted.js';

describe('counted', () => {
  it('says one thing in the singular and any other count in the plural', () => {
    expect(counted(1, 'request')).toBe('1 request');
    expect(counted(0, 'request')).toBe('0 requests');
    expect(counted(2, 'member')).toBe('2 members');
    expect(counted(1, 'step')).toBe('1 step');
  });

  it('takes an irregular plural', () => {
    expect(counted(3, 'person', 'people')).toBe('3 people');
    expect(counted(1, 'person', 'people')).toBe('1 person');
  });
});
