// Evaluates rules cases (JSON on stdin) with targaryen, an independent simulator of the
// Realtime Database rules, and prints one verdict per case: true, false or an error text.
'use strict';
const targaryen = require('targaryen');

function toQuery(params) {
  if (!params || !params.orderBy) return undefined;
  const order = params.orderBy;
  const query = order === '$key' ? {orderByKey: true}
    : order === '$value' ? {orderByValue: true}
    : order === '$priority' ? {orderByPriority: true}
    : {orderByChild: order};
  for (const name of ['startAt', 'endAt', 'equalTo', 'limitToFirst', 'limitToLast']) {
    if (name in params) query[name] = params[name];
  }
  return {query};
}

function verdict(c) {
  const db = targaryen.database(c.rules, c.data, c.now).as(c.auth);
  const op = c.op;
  if (op.kind === 'read') return db.read('/' + op.path, toQuery(op.query)).allowed;
  if (op.kind === 'set') return db.write('/' + op.path, op.value).allowed;
  return db.update('/' + op.path, op.values).allowed;
}

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', () => {
  const verdicts = JSON.parse(input).map(c => {
    try { return verdict(c); } catch (error) { return String(error.message).split('\n')[0]; }
  });
  process.stdout.write(JSON.stringify(verdicts));
});
