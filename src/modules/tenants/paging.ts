// One page of a list as the admin API answers it, and the page a request asks for.
export interface Page<T> {
  data: T[];
  page: number;
  limit: number;
  total: number;
}

export interface PageRequest {
  page: number;
  limit: number;
}
