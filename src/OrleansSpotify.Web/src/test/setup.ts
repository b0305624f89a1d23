import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { resetBase } from './base';

// findBy*/waitFor give up after 1 s by default: too little on a loaded 2-core machine (a bound, not a measure).
configure({ asyncUtilTimeout: 15_000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
  resetBase();
});
