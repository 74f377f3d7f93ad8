# Heredocs: plain and indented, with interpolations inside JSON strings and escaped policy variables.
resource "aws_iam_policy" "plain" {
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject"],
      "Resource": "arn:aws:s3::123456789012:ml-${var.env}/*"
    }
  ]
}
EOF
}

resource "aws_iam_policy" "indented" {
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Action": "s3:*",
        "Resource": "*"
      }, {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::${var.bucket}/$${aws:userid}/*"
      }]
    }
  POLICY
}
