/**
 * Stand-in for Node built-ins that library code reaches only under Node (`node:worker_threads`
 * in the worker pool's Node path): the browser build never calls into it.
 */
export {};
