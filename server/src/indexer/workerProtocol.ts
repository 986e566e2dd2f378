/** Messages between the index and its parse workers. */
import type { FileFacts } from '../model/facts';

export interface WorkerJob {
  file: string;
  safeMode: boolean;
}

export interface WorkerRequest {
  id: number;
  jobs: WorkerJob[];
}

export type WorkerResponse = { id: number; facts: FileFacts[] } | { id: number; error: string };
