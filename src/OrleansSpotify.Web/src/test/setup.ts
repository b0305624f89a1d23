import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { resetBase } from './base';

afterEach(() => {
  cleanup();
  localStorage.clear();
  resetBase();
});
