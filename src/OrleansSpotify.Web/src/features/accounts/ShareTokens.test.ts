import { describe, expect, it } from 'vitest';
import { embedSnippets } from './ShareTokens';

const options = { theme: 'dark', transparent: true, recent: false } as const;

describe('embedSnippets', () => {
  it('makes absolute links on the public origin, keeping the path the Host gave (its sub-path included)', () => {
    const created = { embedUrl: '/music/embed/now-playing/tok', svgUrl: '/music/embed/now-playing/tok.svg', label: 'Blog "side"' };
    const snippets = embedSnippets(created, 'https://home.example', options);
    expect(snippets.page).toBe('https://home.example/music/embed/now-playing/tok?theme=dark&transparent=1');
    expect(snippets.svg).toBe('https://home.example/music/embed/now-playing/tok.svg');
    expect(snippets.iframe).toBe(
      '<iframe src="https://home.example/music/embed/now-playing/tok?theme=dark&transparent=1" width="420" height="160" style="border:0;border-radius:12px" title="Now playing (Blog &quot;side&quot;)" loading="lazy"></iframe>',
    );
    expect(snippets.markdown).toBe('[![Now playing](https://home.example/music/embed/now-playing/tok.svg)](https://home.example/music/embed/now-playing/tok?theme=dark&transparent=1)');
  });

  it('at the root, links stay at the root', () => {
    const created = { embedUrl: '/embed/now-playing/tok', svgUrl: '/embed/now-playing/tok.svg', label: 'x' };
    expect(embedSnippets(created, 'http://127.0.0.1:5080', { ...options, recent: true }).page).toBe(
      'http://127.0.0.1:5080/embed/now-playing/tok?theme=dark&transparent=1&recent=1',
    );
  });
});
