// The Node MQ HTTP SDK's transactional producer and ordered consumer (unchanged) against the bridge: half messages
// committed, rolled back, and one left undecided that comes back to consumeHalfMessage and is committed with the
// handle of that check; then messages of two sharding keys consumed in order. Prints one JSON object;
// MqHttpNodeSdkIT judges it.
const { MQClient, MessageProperties } = require('@aliyunmq/mq-http-sdk');

const [endpoint, accessKeyId, secret, instance, txTopic, txGroup, txConsumerGroup, orderTopic, orderGroup] = process.argv.slice(2);
const client = new MQClient(endpoint, accessKeyId, secret);

function half(key, checkSeconds) {
  const props = new MessageProperties();
  props.messageKey(key);
  props.transCheckImmunityTime(checkSeconds);
  return props;
}

// Polls until `want` messages came or the deadline passed; MessageNotExist is "nothing yet".
async function poll(call, want, deadline) {
  const got = [];
  while (got.length < want && Date.now() < deadline) {
    try {
      got.push(...(await call()).body);
    } catch (e) {
      if (e.Code !== 'MessageNotExist') {
        throw e;
      }
    }
  }
  return got;
}

async function main() {
  const result = {};
  const producer = client.getTransProducer(instance, txTopic, txGroup);
  const consumer = client.getConsumer(instance, txTopic, txConsumerGroup);
  const paid = await producer.publishMessage('paid', 'TagT', half('tx-paid', 60));
  const cancelled = await producer.publishMessage('cancelled', 'TagT', half('tx-cancelled', 60));
  const undecided = await producer.publishMessage('undecided', 'TagT', half('tx-undecided', 10));
  result.published = [paid, cancelled, undecided].map((a) => ({ code: a.code, id: a.body.MessageId, handle: !!a.body.ReceiptHandle }));
  result.commit = (await producer.commit(paid.body.ReceiptHandle)).code;
  result.rollback = (await producer.rollback(cancelled.body.ReceiptHandle)).code;

  // The undecided one is offered to the check from its check time on; committed with that handle.
  const checked = await poll(() => producer.consumeHalfMessage(16, 3), 1, Date.now() + 60000);
  result.checked = checked.map((m) => ({ id: m.MessageId, body: m.MessageBody, key: m.MessageKey }));
  if (checked.length > 0) {
    result.checkCommit = (await producer.commit(checked[0].ReceiptHandle)).code;
  }
  const delivered = await poll(() => consumer.consumeMessage(16, 3), 2, Date.now() + 60000);
  result.delivered = delivered.map((m) => ({ id: m.MessageId, body: m.MessageBody }));
  if (delivered.length > 0) {
    result.ack = (await consumer.ackMessage(delivered.map((m) => m.ReceiptHandle))).code;
  }

  // Ordered: per sharding key in order, the next of a key only once the last is acked.
  const orderProducer = client.getProducer(instance, orderTopic);
  for (let i = 0; i < 3; i++) {
    for (const key of ['A', 'B']) {
      const props = new MessageProperties();
      props.shardingKey('key-' + key);
      await orderProducer.publishMessage(key + i, '', props);
    }
  }
  const orderConsumer = client.getConsumer(instance, orderTopic, orderGroup);
  result.ordered = [];
  const deadline = Date.now() + 60000;
  while (result.ordered.length < 6 && Date.now() < deadline) {
    const batch = await poll(() => orderConsumer.consumeMessageOrderly(16, 3), 1, deadline);
    result.ordered.push(...batch.map((m) => ({ body: m.MessageBody, shardingKey: m.ShardingKey })));
    if (batch.length > 0) {
      await orderConsumer.ackMessage(batch.map((m) => m.ReceiptHandle));
    }
  }
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.log(JSON.stringify({ failure: String(e), code: e.Code }));
  process.exit(1);
});
