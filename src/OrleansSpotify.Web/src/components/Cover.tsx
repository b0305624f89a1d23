import { useState } from 'react';

/**
 * Album art, or a neutral placeholder when there is none (local files, ads) or it fails to load.
 * Decorative: the text beside it names the item, so alt is empty.
 */
export function Cover({ src, size = 64, className = '' }: { src: string | null | undefined; size?: number; className?: string }) {
  const [failed, setFailed] = useState<string | null>(null);
  if (!src || failed === src) {
    return (
      <div className={`cover cover-placeholder ${className}`} style={{ width: size, height: size, fontSize: size / 2.4 }} aria-hidden="true">
        ♪
      </div>
    );
  }
  return (
    <img
      className={`cover ${className}`}
      src={src}
      alt=""
      width={size}
      height={size}
      loading="lazy"
      decoding="async"
      onError={() => setFailed(src)}
    />
  );
}
