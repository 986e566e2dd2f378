// Language server process entry (placeholder until the LSP layer lands).
console.error('airflow-dag-access server: not implemented yet');
