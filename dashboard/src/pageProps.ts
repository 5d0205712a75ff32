// What every tenant page gets: the signed-in client and the one tenant it shows.
import type { ApiClient } from './apiClient.js';

export interface PageProps {
  client: ApiClient;
  tenantId: string;
}
