// The Node MQ HTTP SDK (@aliyunmq/mq-http-sdk, unchanged) against the bridge: publish, consume with long
// polling, ack, then the refusals it must read as errors. Prints one JSON object; MqHttpNodeSdkIT judges it.
const { MQClient, MessageProperties } = require('@aliyunmq/mq-http-sdk');

const [endpoint, accessKeyId, secret, instance, topic, group] = process.argv.slice(2);
const client = new MQClient(endpoint, accessKeyId, secret);
const producer = client.getProducer(instance, topic);
const consumer = client.getConsumer(instance, topic, group, 'TagN');

async function codeOf(call) {
  try {
    await call();
    return 'no error';
  } catch (e) {
    return e.Code || String(e);
  }
}

async function main() {
  const result = { published: [], received: [] };
  for (let i = 0; i < 2; i++) {
    const props = new MessageProperties();
    props.messageKey('node-key-' + i);
    props.putProperty('lang', 'node');
    const answer = await producer.publishMessage('node body ' + i, 'TagN', props);
    result.published.push({ code: answer.code, id: answer.body.MessageId, md5: answer.body.MessageBodyMD5 });
  }
  const deadline = Date.now() + 60000;
  const handles = [];
  while (result.received.length < 2 && Date.now() < deadline) {
    try {
      const answer = await consumer.consumeMessage(16, 3);
      for (const m of answer.body) {
        result.received.push({ id: m.MessageId, body: m.MessageBody, tag: m.MessageTag, key: m.MessageKey,
          lang: m.Properties && m.Properties.lang, consumedTimes: m.ConsumedTimes });
        handles.push(m.ReceiptHandle);
      }
    } catch (e) {
      if (e.Code !== 'MessageNotExist') {
        throw e;
      }
    }
  }
  result.ackCode = (await consumer.ackMessage(handles)).code;
  result.afterAck = await codeOf(() => consumer.consumeMessage(16, 1));
  const badAck = await consumer.ackMessage(['not-a-handle']);
  result.badAck = { code: badAck.code, errors: badAck.body };
  result.unknownTopic = await codeOf(() => client.getProducer(instance, 'NoSuchTopic').publishMessage('x', ''));
  result.wrongSecret = await codeOf(() => new MQClient(endpoint, accessKeyId, 'wrong').getProducer(instance, topic).publishMessage('x', ''));
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.log(JSON.stringify({ failure: String(e), code: e.Code }));
  process.exit(1);
});
