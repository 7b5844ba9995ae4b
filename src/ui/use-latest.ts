import { useLayoutEffect, useRef } from 'react';

/**
 * A ref that holds the latest value given, for handlers that outlive a render (timers, subscriptions). It is set in
 * the commit, never during render (a render React throws away must not leak its value).
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
