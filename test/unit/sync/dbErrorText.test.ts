/** Database error lines: the driver's words are kept as they are; only a URL's password is masked. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { toDbError } from '../../../server/src/db/errors';

const target = 'MySQL root@db:3306/airflow';

test('a password that is an ordinary word does not change the line', () => {
  const e = toDbError({ code: 'ER_BAD_FIELD_ERROR', message: "Unknown column 'wrong' in 'field list'" }, target, ['wrong']);
  assert.equal(e.message, "Database error on MySQL root@db:3306/airflow: Unknown column 'wrong' in 'field list'");
  const auth = toDbError({ code: 'ER_ACCESS_DENIED_ERROR', message: "Access denied for user 'root'@'10.0.0.1' (using password: YES)" }, target, ['MySQL']);
  assert.equal(auth.message, 'Authentication failed for MySQL root@db:3306/airflow: wrong user or password.');
});

test('a URL quoted by a driver has its password masked', () => {
  const e = toDbError({ message: 'cannot use postgresql://airflow:Sup3rS3cret@db/airflow?password=Sup3rS3cret here' }, target);
  assert.equal(e.message, 'Database error on MySQL root@db:3306/airflow: cannot use postgresql://airflow:***@db/airflow?password=*** here');
});

test('driver text that quotes the password is left out whole, not edited', () => {
  const e = toDbError({ message: 'bad option value Sup3rS3cret for connection' }, target, ['Sup3rS3cret']);
  assert.equal(e.message, "Database error on MySQL root@db:3306/airflow: (the driver's message is not shown: it quoted a connection setting)");
});
