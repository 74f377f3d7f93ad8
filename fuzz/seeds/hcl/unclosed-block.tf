resource "aws_iam_role" "training" {
  name = "training"
  assume_role_policy = data.aws_iam_policy_document.trust.json
