import { createContext, useContext } from 'react';
import type { InfoView, MemberView } from './types';

export interface Session {
  info: InfoView | null;
  /** The signed-in member; null when signed out. */
  me: MemberView | null;
}

export const SessionContext = createContext<Session>({ info: null, me: null });

export function useSession(): Session {
  return useContext(SessionContext);
}
