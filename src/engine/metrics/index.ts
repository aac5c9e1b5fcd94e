export * from './classification';
export * from './running';
