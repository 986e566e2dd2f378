// CLI entry (placeholder until the CLI lands).
console.error('airflow-access: not implemented yet');
process.exit(2);
